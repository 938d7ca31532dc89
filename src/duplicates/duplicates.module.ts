import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { PossibleDuplicatesController } from './possible-duplicates.controller';
import { PossibleDuplicatesService } from './possible-duplicates.service';

/** Duplicate detection: which profiles of an organisation are likely one person. */
@Module({
  imports: [ProfilesModule],
  controllers: [PossibleDuplicatesController],
  providers: [PossibleDuplicatesService],
  exports: [PossibleDuplicatesService],
})
export class DuplicatesModule {}
